namespace Gregor.Codegen.Schema;

/// <summary>One field of a message or struct, as the schema declares it.</summary>
public sealed class FieldSpec
{
    public required string Name { get; init; }
    public required FieldType Type { get; init; }
    public required VersionRange Versions { get; init; }
    public VersionRange NullableVersions { get; init; } = VersionRange.None;
    public VersionRange TaggedVersions { get; init; } = VersionRange.None;
    public int? Tag { get; init; }
    public bool Ignorable { get; init; }
    /// <summary>The schema's "default" as written, or null when absent.</summary>
    public string? Default { get; init; }
    /// <summary>Inline struct fields, when this field declares its struct type in place.</summary>
    public IReadOnlyList<FieldSpec>? Fields { get; init; }

    public bool IsTagged => Tag is not null;
    public bool IsNullable => !NullableVersions.IsEmpty;
    public bool DefaultsToNull => Default == "null";
}
