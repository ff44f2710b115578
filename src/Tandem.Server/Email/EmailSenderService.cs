namespace Tandem.Server.Email;

/// <summary>
/// The background loop that runs <see cref="EmailSender.RunOnceAsync"/> once the server has started, again at once
/// while there is work and every <see cref="EmailOptions.TickMilliseconds"/> when idle. Several servers may run it
/// against one PostgreSQL database: claims split the work and no send is handed over twice.
/// </summary>
internal sealed class EmailSenderService(EmailSender sender, EmailOptions options, TimeProvider clock, IHostApplicationLifetime lifetime,
    ILogger<EmailSenderService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!options.SenderEnabled) return;
        // Links in the headers may point at the address the server listens on, known only once it has started.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try { await started.Task.WaitAsync(stop); }
            catch (OperationCanceledException) { return; }
        }
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await sender.RunOnceAsync(clock.GetUtcNow().ToUnixTimeMilliseconds(), stop) == 0) await Task.Delay(options.TickMilliseconds, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogWarning(e, "Sending email failed; retrying shortly.");
                try { await Task.Delay(Math.Max(options.TickMilliseconds, 1000), stop); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}
