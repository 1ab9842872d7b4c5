using SfPredictor.Cli;

return await CliApp.RunAsync(args);
