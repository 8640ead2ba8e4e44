// MSBuild task (compiled by RoslynCodeTaskFactory): marks libLibTorchSharp.so's GLIBCXX_3.4.32
// requirement as weak when the system libstdc++ lacks that version. See LibTorchSharpFix.targets.
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MnemoWeakenGlibcxxRequirement : Task
{
    const string NeededVersion = "GLIBCXX_3.4.32";
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    [Required]
    public string Directory { get; set; } = "";

    public override bool Execute()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return true;
        if (!System.IO.Directory.Exists(Directory)) return true;

        // TorchSharp's fallback loader may have left a copy of the natives here; it would shadow the patched one.
        foreach (var stale in System.IO.Directory.GetDirectories(Directory, "cpu", SearchOption.TopDirectoryOnly))
        {
            try { System.IO.Directory.Delete(stale, true); } catch (IOException) { }
        }

        if (SystemHasVersion())
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides {0}; no patch needed.", NeededVersion);
            return true;
        }

        foreach (var file in System.IO.Directory.GetFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            try
            {
                var changed = Patch(file);
                Log.LogMessage(MessageImportance.Normal, "libLibTorchSharp.so {0}: {1}", changed ? "patched" : "already weak", file);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogError("Could not patch {0} for Debian 12's libstdc++: {1}", file, e.Message);
                return false;
            }
        }
        return true;
    }

    static bool SystemHasVersion()
    {
        string[] dirs = { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/usr/lib/aarch64-linux-gnu" };
        var marker = Encoding.ASCII.GetBytes(NeededVersion + "\0");
        foreach (var dir in dirs)
        {
            var path = Path.Combine(dir, "libstdc++.so.6");
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            return IndexOf(bytes, marker) >= 0;
        }
        return false; // unknown: patching is harmless, a weak requirement is still satisfied where present
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Sets VER_FLG_WEAK on the Vernaux entry naming GLIBCXX_3.4.32. Returns whether the file changed.</summary>
    static bool Patch(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException("expected a little-endian ELF64 file");

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);

        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            uint type = BitConverter.ToUInt32(elf, sh + 4);
            if (type != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            int link = (int)BitConverter.ToUInt32(elf, sh + 0x28);
            int strtab = checked((int)BitConverter.ToUInt64(elf, (int)shoff + link * shentsize + 0x18));

            int vn = offset;
            while (true)
            {
                int count = BitConverter.ToUInt16(elf, vn + 2);
                int aux = vn + (int)BitConverter.ToUInt32(elf, vn + 8);
                for (int a = 0; a < count; a++)
                {
                    int name = (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (ReadString(elf, strtab + name) == NeededVersion)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                        if ((flags & VerFlgWeak) != 0) return false;
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)(flags & 0xff);
                        elf[aux + 5] = (byte)(flags >> 8);
                        var tmp = path + ".mnemo-tmp";
                        File.WriteAllBytes(tmp, elf);
                        File.Replace(tmp, path, null);
                        return true;
                    }
                    uint next = BitConverter.ToUInt32(elf, aux + 12);
                    if (next == 0) break;
                    aux += (int)next;
                }
                uint vnNext = BitConverter.ToUInt32(elf, vn + 12);
                if (vnNext == 0) break;
                vn += (int)vnNext;
            }
        }
        return false; // this build does not need the version: nothing to do
    }

    static string ReadString(byte[] data, int start)
    {
        int end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, start, end - start);
    }
}
