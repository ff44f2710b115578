using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Server.Hosting;
using Tandem.Server.Scoring;
using Tandem.Server.Storage;

namespace Tandem.Bench.Rescore;

/// <summary>Tandem's own services over the benchmark database, exactly as the server wires them (not started: no HTTP needed here).</summary>
internal sealed class Host(WebApplication app)
{
    public RescoreEveryone Rescore => app.Services.GetRequiredService<RescoreEveryone>();

    public static Host For(Database db) => new(TandemApp.Build([], new Dictionary<string, string?>
    {
        ["Tandem:Database:Provider"] = db.Provider.ToString(),
        ["Tandem:Database:ConnectionString"] = db.ConnectionString,
        ["Tandem:DataDir"] = Path.GetTempPath(),
        ["Logging:LogLevel:Default"] = "Warning",
    }));
}
