/**
 * The demo's subscription fulfillment (from back_ops): charge, set up, send the receipt after a delay, with a payment
 * provider that declines once.
 */
package io.durableops.samples.subscription;
