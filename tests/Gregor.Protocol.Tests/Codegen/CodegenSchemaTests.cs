using Gregor.Codegen.Emit;
using Gregor.Codegen.Schema;

namespace Gregor.Protocol.Tests.Codegen;

public class CodegenSchemaTests
{
    [Theory]
    [InlineData("0+", 0, short.MaxValue)]
    [InlineData("3-7", 3, 7)]
    [InlineData("5", 5, 5)]
    public void Version_ranges_parse(string text, short lowest, short highest)
    {
        Assert.Equal(new VersionRange(lowest, highest), VersionRange.Parse(text));
    }

    [Fact]
    public void None_is_empty()
    {
        Assert.True(VersionRange.Parse("none").IsEmpty);
        Assert.True(VersionRange.Parse("0-3").Intersect(VersionRange.Parse("5+")).IsEmpty);
    }

    [Theory]
    [InlineData("0+", "0-12", "true")]
    [InlineData("13+", "0-12", "false")]
    [InlineData("3+", "0-12", "version >= 3")]
    [InlineData("0-10", "0-12", "version <= 10")]
    [InlineData("8-10", "0-12", "version >= 8 && version <= 10")]
    [InlineData("1", "0-4", "version == 1")]
    [InlineData("3+", "5-12", "true")]
    public void Version_conditions_are_minimal_for_their_context(string range, string context, string expected)
    {
        Assert.Equal(expected, VersionCondition.For(VersionRange.Parse(range), VersionRange.Parse(context)));
    }

    [Fact]
    public void Schema_with_comments_and_tagged_fields_loads()
    {
        const string json = """
            // a comment, as Kafka's schemas have
            {
              "apiKey": 99, "type": "request", "name": "TestRequest",
              "validVersions": "0-2", "flexibleVersions": "1+",
              "fields": [
                { "name": "Id", "type": "int32", "versions": "0+", "default": "0x10" },
                { "name": "Items", "type": "[]Item", "versions": "0+", "nullableVersions": "2+", "default": "null",
                  "fields": [ { "name": "Name", "type": "string", "versions": "0+" } ] },
                { "name": "Extra", "type": "string", "versions": "1+", "taggedVersions": "1+", "tag": "0", "nullableVersions": "1+", "default": "null" }
              ]
            }
            """;
        var spec = SchemaLoader.Load(json);
        Assert.Equal("TestRequest", spec.Name);
        Assert.Equal((short)99, spec.ApiKey);
        Assert.Equal(new VersionRange(1, short.MaxValue), spec.FlexibleVersions);
        Assert.Equal(0, spec.Fields[2].Tag);
        Assert.Equal("16", CSharpTypes.Literal(spec.Fields[0]));
        Assert.Equal("Item", spec.Fields[1].Type.Element!.StructName);

        string code = MessageEmitter.Emit(spec, "Test.Namespace", "Test");
        Assert.Contains("public sealed partial class TestRequest", code);
        Assert.Contains("public sealed partial class Item", code);
        Assert.Contains("public int Id { get; set; } = 16;", code);
        Assert.Contains("public List<TestRequest.Item>? Items { get; set; }", code);
        Assert.Contains("case 0:", code);
        Assert.DoesNotContain("about", code);
    }

    [Fact]
    public void Struct_named_like_a_field_of_the_message_gets_a_suffix()
    {
        const string json = """
            { "type": "data", "name": "Holder", "validVersions": "0", "flexibleVersions": "none",
              "fields": [ { "name": "Assignment", "type": "Assignment", "versions": "0+",
                            "fields": [ { "name": "Id", "type": "int32", "versions": "0+" } ] } ] }
            """;
        string code = MessageEmitter.Emit(SchemaLoader.Load(json), "Test.Namespace", "");
        Assert.Contains("public Holder.AssignmentData Assignment { get; set; } = new();", code);
        Assert.Contains("public bool IsDefault()", code);
    }
}
