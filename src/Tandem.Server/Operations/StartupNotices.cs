using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tandem.Server.Demo;
using Tandem.Server.Storage;
using Tandem.Server.Users;

namespace Tandem.Server.Operations;

/// <summary>
/// What an operator must know when the server starts: that the database is the demo workspace (its users share a published
/// password), or that nobody can sign in yet — then the one-time link that creates the first admin.
/// </summary>
internal sealed partial class StartupNotices(Database db, DemoMark demo, FirstAdminSetup setup, IServer server, IHostApplicationLifetime lifetime,
    ILogger<StartupNotices> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        // Hosted services start after migrations and demo seeding (TandemApp.StartAsync), before the server listens.
        await demo.LoadAsync(db, ct);
        if (demo.IsDemo) DemoWorkspaceWarning(log);
        lifetime.ApplicationStarted.Register(() => _ = IssueSetupLinkAsync(lifetime.ApplicationStopping));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task IssueSetupLinkAsync(CancellationToken ct)
    {
        try
        {
            if (demo.IsDemo || await setup.IssueIfNoUsersAsync(ct) is not { } token) return;
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:5080";
            SetupLink(log, $"{address.TrimEnd('/')}/setup?token={token}", (int)FirstAdminSetup.Lifetime.TotalHours);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) { SetupLinkFailed(log, e); }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "This is the DEMO workspace: made-up people, and users who share the published demo password. Do not keep real leads in it; start a workspace of your own with `./tandem serve --data-dir DIR`.")]
    private static partial void DemoWorkspaceWarning(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Nobody can sign in yet. Create the first admin at {Link} (works once, for {Hours} hours; a restart issues a new link), or run `./tandem users create --email EMAIL --role admin`.")]
    private static partial void SetupLink(ILogger log, string link, int hours);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not issue the first-admin setup link.")]
    private static partial void SetupLinkFailed(ILogger log, Exception e);
}
