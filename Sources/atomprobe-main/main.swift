import AtomProbeCommands

AtomProbeCLI.main()
