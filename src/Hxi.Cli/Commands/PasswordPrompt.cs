using System.Text;

namespace Hxi.Cli.Commands;

/// <summary>Asks for the password of `-u user` on the terminal without echoing it, as curl does.</summary>
public static class PasswordPrompt
{
    /// <summary>The typed password, or null when standard input is not a terminal (nobody to ask).</summary>
    public static string? Ask(string user)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        Console.Error.Write($"Enter host password for user '{user}':");
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return password.ToString();
    }
}
