"""One module per pk command, each with USAGE, OPTIONS and run(ctx, opts, args)."""
