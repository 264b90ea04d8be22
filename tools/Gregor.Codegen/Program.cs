using Gregor.Codegen;

// Usage: dotnet run --project tools/Gregor.Codegen -- <schemaDir> <outputDir> [namespace]
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: Gregor.Codegen <schemaDir> <outputDir> [namespace]");
    Console.Error.WriteLine($"  namespace defaults to {Generator.DefaultNamespace}");
    return 2;
}

try
{
    var files = Generator.Generate(args[0], args.Length == 3 ? args[2] : Generator.DefaultNamespace);
    Generator.WriteTo(args[1], files);
    Console.WriteLine($"Generated {files.Count} files into {args[1]}");
    return 0;
}
catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
