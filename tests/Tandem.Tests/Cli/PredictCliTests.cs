using Tandem.Tests.Infrastructure;
using Tandem.Tests.Prediction;

namespace Tandem.Tests.Cli;

/// <summary>tandem predict train | show, run as a separate process against a data folder an import filled.</summary>
public class PredictCliTests
{
    private static Task<(int Exit, string Out, string Err)> TandemAsync(params string[] args) => TandemProcess.RunAsync(args);

    [Fact]
    public async Task Train_refuses_an_empty_workspace_then_trains_prints_the_rules_model_beside_and_show_prints_the_active_model()
    {
        var dir = TempFolder.Create("cli-predict");
        var (emptyExit, _, emptyErr) = await TandemAsync("predict", "train", "--data-dir", dir);
        Assert.Equal(1, emptyExit);
        Assert.Contains("Too little history to learn from: 0 people reached Customer", emptyErr);
        var (noneExit, _, noneErr) = await TandemAsync("predict", "show", "--data-dir", dir);
        Assert.Equal(1, noneExit);
        Assert.Contains("No conversion model has been trained", noneErr);

        var file = Path.Combine(dir, "history.csv");
        await File.WriteAllBytesAsync(file, PredictionTests.History(people: 700, young: 0), TestContext.Current.CancellationToken);
        var (importExit, imported, importErr) = await TandemAsync("import", file, "--data-dir", dir);
        Assert.True(importExit == 0, imported + importErr);

        var (exit, output, err) = await TandemAsync("predict", "train", "--folds", "3", "--data-dir", dir);
        Assert.True(exit == 0, output + err);
        Assert.Contains("conversion model v1: Activated: the first model", output);
        Assert.Matches(@"model\s+AUC 0\.\d{3}\s+Brier 0\.\d{3}", output);
        Assert.Matches(@"rules model\s+AUC 0\.\d{3}", output);
        Assert.Contains("3-fold cross-validation: AUC", output);
        Assert.Contains("the newest by creation date", output);

        var (showExit, shown, showErr) = await TandemAsync("predict", "show", "--data-dir", dir);
        Assert.True(showExit == 0, showErr);
        Assert.Contains("conversion model v1 (active since", shown);
        Assert.Contains("top features: ", shown);
        Assert.Contains("Channel", shown);
    }
}
