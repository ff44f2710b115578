using System.Globalization;

namespace Tandem.Server.Web.Campaigns;

/// <summary>How report figures read on screen.</summary>
internal static class Figures
{
    public static string Count(double credit) => credit == Math.Floor(credit) ? credit.ToString("N0", CultureInfo.InvariantCulture)
        : credit.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Money(decimal? amount) => amount is { } a ? a.ToString("#,0", CultureInfo.InvariantCulture) : "–";

    public static string Money2(decimal? amount) => amount is { } a ? a.ToString("#,0.00", CultureInfo.InvariantCulture) : "–";

    public static string Roi(double? roi) => roi is { } r ? (r * 100).ToString("#,0", CultureInfo.InvariantCulture) + "%" : "–";
}
