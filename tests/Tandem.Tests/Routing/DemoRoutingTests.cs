using Dapper;
using Tandem.Server.Demo;
using Tandem.Tests.Infrastructure;

namespace Tandem.Tests.Routing;

public sealed class DemoRoutingTests
{
    [Fact]
    public async Task Demo_workspace_routes_its_MQLs_to_the_demo_teams_and_fills_the_closed_loop_report()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TandemServer.StartAsync();
        await DemoWorkspace.EnsureSeededAsync(server.Services, ct, people: 300);
        using var api = await server.AdminClientAsync();

        var owners = await server.Database.ReadAsync(c => c.QueryAsync<(string Region, string Team, long Count)>(
            "SELECT p.region, t.name, COUNT(*) FROM people p JOIN teams t ON t.id = p.owner_team_id GROUP BY p.region, t.name"), ct);
        var unowned = await server.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM people p WHERE p.owner_id IS NULL AND EXISTS (SELECT 1 FROM stage_changes s WHERE s.person_id = p.id AND s.to_stage = 'MQL')"), ct);

        Assert.Contains(owners, o => o.Region == "EMEA" && o.Team == "EMEA SDR");
        Assert.DoesNotContain(owners, o => o.Region != "EMEA" && o.Team == "EMEA SDR");
        Assert.Equal(0, unowned);
        Assert.Equal(3, (await api.GetJsonAsync("/api/v1/routing/rules")).GetArrayLength());
        var report = await api.GetJsonAsync("/api/v1/reports/closed-loop?by=source");
        Assert.True(report.GetProperty("total").GetProperty("accepted").GetInt32() > 0);
        Assert.True(report.GetProperty("total").GetProperty("rejected").GetInt32() > 0);
    }
}
