namespace Gregor.Codegen.Schema;

/// <summary>A whole schema file: a request, a response, a header, or a standalone data type.</summary>
public sealed class MessageSpec
{
    public required string Name { get; init; }
    /// <summary>"request", "response", "header" or "data".</summary>
    public required string Kind { get; init; }
    public short? ApiKey { get; init; }
    public required VersionRange ValidVersions { get; init; }
    public required VersionRange FlexibleVersions { get; init; }
    public bool LatestVersionUnstable { get; init; }
    public required IReadOnlyList<FieldSpec> Fields { get; init; }
    public IReadOnlyList<StructSpec> CommonStructs { get; init; } = [];

    public bool IsApiMessage => Kind is "request" or "response";
}

/// <summary>A named struct declared in "commonStructs".</summary>
public sealed record StructSpec(string Name, VersionRange Versions, IReadOnlyList<FieldSpec> Fields);
