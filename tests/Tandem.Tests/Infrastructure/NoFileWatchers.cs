using System.Runtime.CompilerServices;

namespace Tandem.Tests.Infrastructure;

/// <summary>
/// Test servers watch no files. Every server a test starts would otherwise hold an inotify instance for its
/// appsettings.json, and Linux allows a user 128 of them across all processes: on a shared machine, parallel suites
/// ran out and servers failed to start. Set before any server is built; the tandem processes tests start inherit it.
/// </summary>
internal static class NoFileWatchers
{
    [ModuleInitializer]
    internal static void Apply()
    {
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        Environment.SetEnvironmentVariable("DOTNET_USE_POLLING_FILE_WATCHER", "true"); // any other watcher polls instead
    }
}
