/**
 * The samples: one package per example operation, each a definition as a user would write it, with its tests; {@code
 * EmbeddedDemo} runs them with the admin UI on H2 (the README's first command).
 */
package io.durableops.samples;
