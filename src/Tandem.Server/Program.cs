return await Tandem.Server.Cli.TandemCli.RunAsync(args);
