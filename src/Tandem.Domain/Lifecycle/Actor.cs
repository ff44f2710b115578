namespace Tandem.Domain.Lifecycle;

/// <summary>Who or what made a change: a signed-in user, an API key, a rule or the system itself.</summary>
public sealed record Actor(ActorType Type, string Id, string Name)
{
    public static Actor System(string what) => new(ActorType.System, what, what);
    public static Actor ApiKey(string id, string name) => new(ActorType.ApiKey, id, name);
    public static Actor Rule(string id, string name) => new(ActorType.Rule, id, name);
    public static Actor User(string id, string name) => new(ActorType.User, id, name);
}

public enum ActorType { User, ApiKey, Rule, System }
