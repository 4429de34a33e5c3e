package io.durableops.core.admin;

import java.util.Optional;

/**
 * Failed operations that share a definition, the step they failed at and the class of their last error, with how
 * many there are. {@code errorClass} is empty for operations that failed without an exception (an operator's fail, a
 * deadline). Filter the list to one group with {@link OperationQuery.Builder#definition}, {@link
 * OperationQuery.Builder#currentStep} and {@link OperationQuery.Builder#errorClass}.
 */
public record FailureGroup(String definition, String step, Optional<String> errorClass, long count) {
}
