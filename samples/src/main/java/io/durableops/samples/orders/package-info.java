/**
 * An order's fulfillment call enqueued on the order's own transaction, with arguments sealed by a custom
 * ChaCha20-Poly1305 encryptor (from async_task).
 */
package io.durableops.samples.orders;
