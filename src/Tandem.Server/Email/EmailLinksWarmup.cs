namespace Tandem.Server.Email;

/// <summary>
/// Builds the server's <see cref="EmailLinks"/> once the server listens (its address may be the links' base) and before
/// any email is queued: reading or creating the signing key inside a queueing transaction would, on SQLite, wait on
/// that very transaction's write lock.
/// </summary>
internal sealed class EmailLinksWarmup(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<EmailLinks>();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
