/**
 * Not supported API. Definitions as the engine runs them: {@code FlowBuilder} validates what a definition declares
 * into a {@code CompiledDefinition}; {@code Definitions} holds every registered version.
 */
package io.durableops.core.internal.flow;
