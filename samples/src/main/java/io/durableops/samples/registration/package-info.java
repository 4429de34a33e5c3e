/**
 * A user registration that waits durably for an email-verified signal, with a timeout that sends a reminder (from
 * standard_procedure_operations).
 */
package io.durableops.samples.registration;
