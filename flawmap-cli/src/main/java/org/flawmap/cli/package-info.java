/**
 * The {@code flawmap} command line: one class per subcommand, shared options as picocli mixins,
 * and one error handler that maps exceptions to the exit codes documented on {@link
 * org.flawmap.cli.Main}.
 */
package org.flawmap.cli;
