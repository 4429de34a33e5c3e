/**
 * A download checked as a flowchart of decisions, each "no" ending the operation as FAILED with its reason (from
 * standard_procedure_operations).
 */
package io.durableops.samples.downloads;
