using Cms.Bench;

// dotnet run --project bench -c Release -- generate DB_PATH COUNT
if (args is ["generate", var path, var countText] && int.TryParse(countText, out var count) && count > 0)
    return Generate.Run(path, count);
Console.Error.WriteLine("usage: Cms.Bench generate DB_PATH COUNT");
return 2;
