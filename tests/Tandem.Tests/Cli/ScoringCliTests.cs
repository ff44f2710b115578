using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Cli;

/// <summary>tandem scoring show | validate | publish, run as a separate process against a server's data folder.</summary>
public class ScoringCliTests
{
    private static Task<(int Exit, string Out, string Err)> TandemAsync(params string[] args) => TandemProcess.RunAsync(args);

    [Fact]
    public async Task Show_validate_dry_run_and_publish_act_on_the_workspace_in_the_data_folder()
    {
        var dir = TempFolder.Create("cli-scoring");
        var (showExit, shown, showErr) = await TandemAsync("scoring", "show", "--data-dir", dir);
        Assert.True(showExit == 0, showErr);
        Assert.Contains("scoring model v1: B2B software default", shown);
        Assert.Contains("MQL: grade B or better and engagement 40 or more or cell A1/A2", shown);

        var (_, json, _) = await TandemAsync("scoring", "show", "--json", "--data-dir", dir);
        var model = JsonNode.Parse(json)!.AsObject();
        model["mql"] = JsonNode.Parse("""{"any":[{"minGrade":"C"}]}""");
        var file = Path.Combine(dir, "model.json");
        await File.WriteAllTextAsync(file, model.ToJsonString(), TestContext.Current.CancellationToken);

        var broken = Path.Combine(dir, "broken.json");
        await File.WriteAllTextAsync(broken, """{"name":"x","fit":[{"id":"a","name":"A","when":[{"field":"title","op":"sounds-like","value":"cto"}],"points":5}]}""",
            TestContext.Current.CancellationToken);
        var (badExit, _, badErr) = await TandemAsync("scoring", "validate", broken, "--data-dir", dir);
        Assert.Equal(1, badExit);
        Assert.Contains("fit[0].when[0].op", badErr);

        var (dryExit, dry, dryErr) = await TandemAsync("scoring", "publish", file, "--dry-run", "--data-dir", dir);
        Assert.True(dryExit == 0, dryErr);
        Assert.Contains("would move into MQL", dry);
        var (_, stillV1, _) = await TandemAsync("scoring", "show", "--data-dir", dir);
        Assert.Contains("scoring model v1", stillV1);

        var (pubExit, published, pubErr) = await TandemAsync("scoring", "publish", file, "--data-dir", dir);
        Assert.True(pubExit == 0, pubErr);
        Assert.Contains("published scoring model v2", published);
        var (_, nowV2, _) = await TandemAsync("scoring", "show", "--data-dir", dir);
        Assert.Contains("MQL: grade C or better", nowV2);
    }
}
