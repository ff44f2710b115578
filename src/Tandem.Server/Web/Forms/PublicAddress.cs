using Tandem.Server.Email;

namespace Tandem.Server.Web.Forms;

/// <summary>Where visitors reach Tandem: the public address email links use when set (Tandem:Email:PublicUrl), else the one this request came in on.</summary>
internal static class PublicAddress
{
    public static string Root(HttpContext http) =>
        http.RequestServices.GetService<EmailLinks>()?.PublicBaseUrl
        ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}".TrimEnd('/');
}
