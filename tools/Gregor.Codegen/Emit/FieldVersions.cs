using Gregor.Codegen.Schema;

namespace Gregor.Codegen.Emit;

/// <summary>Where a field sits on the wire: in the regular field sequence, or in the tagged section.</summary>
public static class FieldVersions
{
    /// <summary>Versions where the field is written in sequence (present and not tagged).</summary>
    public static VersionRange Regular(FieldSpec field)
    {
        if (!field.IsTagged) return field.Versions;
        // Kafka only allows tagging from some version onwards, so the regular part is what precedes it.
        if (field.TaggedVersions.Lowest <= field.Versions.Lowest) return VersionRange.None;
        return field.Versions.Intersect(new VersionRange(0, (short)(field.TaggedVersions.Lowest - 1)));
    }

    /// <summary>Versions where the field travels as a tagged field.</summary>
    public static VersionRange Tagged(FieldSpec field) =>
        field.IsTagged ? field.Versions.Intersect(field.TaggedVersions) : VersionRange.None;
}
