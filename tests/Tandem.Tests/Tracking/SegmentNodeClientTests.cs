using System.Diagnostics;
using System.Text.Json;
using Tandem.Server.Storage;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Tracking;

/// <summary>Segment's own, unmodified Node client (@segment/analytics-node from npm) pointed at Tandem.</summary>
public class SegmentNodeClientTests
{
    private static string ClientFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "segment-client");
            if (File.Exists(Path.Combine(candidate, "send.mjs"))) return candidate;
        }
        throw new InvalidOperationException("tests/segment-client not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task Segment_node_client_delivers_page_identify_and_track_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = ClientFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@segment", "analytics-node")))
        {
            if (TestDatabases.InCi) Assert.Fail("The Segment client is not installed: run 'npm ci' in tests/segment-client (./run-tests does).");
            Assert.Skip("The Segment client is not installed: run 'npm ci' in tests/segment-client (./run-tests does).");
        }

        await using var server = await TandemServer.StartAsync(DatabaseProvider.Sqlite);
        var writeKey = await server.CreateKeyAsync("ingest");
        var start = new ProcessStartInfo("node", ["send.mjs", server.BaseUrl, writeKey, "anon-node-1", "user-node-1", "sam.rivera@northwind.com"])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync(ct);
        var errors = await node.StandardError.ReadToEndAsync(ct);
        await node.WaitForExitAsync(ct);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {output} {errors}");

        using var api = await server.AdminClientAsync();
        var person = (await api.GetJsonAsync("/api/v1/people?email=sam.rivera@northwind.com")).GetProperty("items")[0];
        Assert.Equal("Sam", person.GetProperty("firstName").GetString());
        Assert.Equal("Paid Search", person.GetProperty("firstTouch").GetProperty("attribution").GetProperty("channel").GetString());
        var timeline = await api.GetJsonAsync($"/api/v1/people/{person.Id()}/timeline");
        var types = timeline.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ToList();
        Assert.Contains("page_view", types);
        Assert.Contains("Whitepaper Downloaded", types); // sent while still anonymous
        Assert.Equal(2, types.Count(t => t == "Demo Requested")); // the repeated messageId is stored once
    }
}
