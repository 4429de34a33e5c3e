/**
 * Not supported API. JSON and encryption of every payload: {@code JsonCodec} turns values into size-checked JSON and
 * seals them with the configured encryptor.
 */
package io.durableops.core.internal.json;
