using MlNetRobust.Torch;

namespace MlNetRobust.Cli;

/// <summary>Entry point of mlnet-robust. The full command set arrives with the CLI issue; today it reports the engine.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["--version"] or ["version"])
        {
            Console.WriteLine($"mlnet-robust {torch.binding_version} (libtorch {torch.version})");
            return 0;
        }
        Console.Error.WriteLine("usage: mlnet-robust version");
        return 2;
    }
}
