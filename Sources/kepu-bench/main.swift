// For scripts/bench.py only: staff never see this tool, so it is not a `kepu` subcommand.
BenchRebuild.main()
