using Gregor.Codegen.Schema;

namespace Gregor.Codegen.Emit;

/// <summary>
/// Turns "is <c>version</c> in this range" into the shortest C# condition, given the versions the
/// surrounding code can already be running in: "true", "false", or comparisons on <c>version</c>.
/// </summary>
public static class VersionCondition
{
    public const string Always = "true";
    public const string Never = "false";

    public static string For(VersionRange range, VersionRange context, string versionVariable = "version")
    {
        var effective = range.Intersect(context);
        if (effective.IsEmpty) return Never;
        bool needLow = effective.Lowest > context.Lowest;
        bool needHigh = effective.Highest < context.Highest;
        if (!needLow && !needHigh) return Always;
        if (needLow && needHigh && effective.Lowest == effective.Highest) return $"{versionVariable} == {effective.Lowest}";
        if (needLow && needHigh) return $"{versionVariable} >= {effective.Lowest} && {versionVariable} <= {effective.Highest}";
        return needLow ? $"{versionVariable} >= {effective.Lowest}" : $"{versionVariable} <= {effective.Highest}";
    }

    /// <summary>Wraps a condition so it can be negated or combined safely.</summary>
    public static string Paren(string condition) =>
        condition is Always or Never || !condition.Contains(' ') ? condition : $"({condition})";

    public static string Not(string condition) => condition switch
    {
        Always => Never,
        Never => Always,
        _ => $"!{Paren(condition)}",
    };
}
