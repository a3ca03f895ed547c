"""The commands of the runtime-lint CLI, one module each (as pre-commit's `commands/`): a
function taking the parsed arguments and returning the exit code."""
