using Microsoft.AspNetCore.Http.HttpResults;
using Tandem.Domain.Email;
using Tandem.Domain.Identity;
using Tandem.Server.Hosting;
using Tandem.Server.Storage;
using Tandem.Server.Audit;

namespace Tandem.Server.Email;

/// <summary>GET and PUT /api/v1/email/settings: who email comes from, the footer's address, opt-in, the frequency cap, the brand.</summary>
internal static class ManageEmailSettings
{
    public sealed record Request(string? FromName, string? FromAddress, string? ReplyTo, string? PhysicalAddress, bool? RequireOptIn,
        string? FrequencyCap, string? CompanyName, string? BrandColor);

    /// <summary>The settings, and whether email can go: marketing needs a From address and a physical address, any email a relay.</summary>
    public sealed record Dto(string? FromName, string? FromAddress, string? ReplyTo, string? PhysicalAddress, bool RequireOptIn, string? FrequencyCap,
        string? CompanyName, string? BrandColor, bool SmtpConfigured, bool ReadyForTransactional, bool ReadyForMarketing, IReadOnlyList<string> Missing);

    public static async Task<Ok<Dto>> Get(Database db, EmailOptions options, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await db.ReadAsync(c => EmailSettings.ReadAsync(c, null), ct), options));

    public static async Task<Results<Ok<Dto>, ValidationProblem>> Put(Request request, Database db, EmailOptions options, CancellationToken ct)
    {
        var v = new Validation();
        string? T(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var fromAddress = T(request.FromAddress);
        if (fromAddress is null) v.Add("fromAddress", "An address to send from is required, e.g. news@example.com.");
        else if (!EmailAddress.TryParse(fromAddress, out _)) v.Add("fromAddress", $"'{fromAddress}' is not an email address.");
        if (T(request.ReplyTo) is { } replyTo && !EmailAddress.TryParse(replyTo, out _)) v.Add("replyTo", $"'{replyTo}' is not an email address.");
        if (T(request.FromName) is { Length: > 200 }) v.Add("fromName", "Must be at most 200 characters.");
        if (T(request.CompanyName) is { Length: > 200 }) v.Add("companyName", "Must be at most 200 characters.");
        if (T(request.PhysicalAddress) is { Length: > 1000 }) v.Add("physicalAddress", "Must be at most 1000 characters.");
        var cap = T(request.FrequencyCap) is { } capText ? FrequencyCap.Parse(capText) : null;
        if (T(request.FrequencyCap) is not null && cap is null)
            v.Add("frequencyCap", "Write MAX/DAYS, e.g. 3/7 for at most 3 marketing emails per person in any 7 days (days 1-365).");
        if (T(request.BrandColor) is { } color && EmailRenderer.BrandColor(color) != color) v.Add("brandColor", "Use a #RRGGBB colour, e.g. #2f5bea.");
        if (!v.IsValid) return v.ToProblem();

        var settings = new EmailSettings(T(request.FromName), fromAddress, T(request.ReplyTo), T(request.PhysicalAddress)?.Replace("\r\n", "\n"),
            request.RequireOptIn ?? false, cap, T(request.CompanyName), T(request.BrandColor));
        await db.WriteAsync(async (c, tx) =>
        {
            await settings.WriteAsync(c, tx);
            await AuditLog.WriteAsync(c, tx, "settings.email.changed", null, settings);
        }, ct);
        return TypedResults.Ok(ToDto(settings, options));
    }

    private static Dto ToDto(EmailSettings s, EmailOptions options)
    {
        var missing = new List<string>();
        if (!options.Smtp.IsConfigured) missing.Add("An SMTP relay (Tandem:Email:Smtp:Host in the configuration).");
        if (s.FromAddress is null) missing.Add("fromAddress: the address email is sent from.");
        if (s.PhysicalAddress is null) missing.Add("physicalAddress: the postal address every marketing email must show (marketing is held until it is set).");
        return new Dto(s.FromName, s.FromAddress, s.ReplyTo, s.PhysicalAddress, s.RequireOptIn, s.FrequencyCap?.ToString(), s.CompanyName, s.BrandColor,
            options.Smtp.IsConfigured, options.Smtp.IsConfigured && s.FromAddress is not null,
            options.Smtp.IsConfigured && s.FromAddress is not null && s.PhysicalAddress is not null, missing);
    }
}
