using System.Collections;
using Razorvine.Pickle;
using static TorchSharp.torch;

namespace Mnemo.Interop;

/// <summary>
/// Reads a state dict saved by <c>torch.save</c> in PyTorch's format before 1.6 (what pytorch-fid's 2019 weight file
/// may be), which TorchSharp.PyBridge does not read: five pickles in a row — magic number, protocol version, system
/// info, the object (tensors refer to storages by key through persistent ids), the list of storage keys — then each
/// storage as an int64 element count and its raw little-endian bytes. The storages come after the object, so the
/// object is unpickled twice: once to reach them, once to build its tensors from them.
/// </summary>
public static class LegacyTorchPickle
{
    const string RebuildTensor = "torch._utils._rebuild_tensor_v2";
    const string RebuildParameter = "torch._utils._rebuild_parameter";
    const string OrderedDict = "collections.OrderedDict";
    static readonly object Lock = new();
    // torch/serialization.py's MAGIC_NUMBER, 0x1950a86a20f9469cfc6c.
    static readonly System.Numerics.BigInteger Magic = System.Numerics.BigInteger.Parse("119547037146038801333356");

    /// <exception cref="MnemoException">Not a legacy PyTorch file of tensors.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var stream = File.OpenRead(path);
        var reader = new TorchUnpickler(storages: null);
        // Razorvine's constructors are global: ours stand in for PyBridge's only while this file is read.
        lock (Lock)
            using (reader.Override())
            {
                if (reader.load(stream) is not System.Numerics.BigInteger magic || magic != Magic || Convert.ToInt64(reader.load(stream)) != 1001)
                    throw new MnemoException($"{path} is not a PyTorch file (no magic number / protocol 1001).");
                reader.load(stream); // system info (endianness, type sizes): little-endian x86 assumed, as every CPU Mnemo runs on
                long objectStart = stream.Position;
                reader.load(stream);
                var keys = ((IEnumerable)reader.load(stream)).Cast<object>().Select(k => k.ToString()!).ToList();
                var data = new Dictionary<string, byte[]>();
                using (var binary = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                    foreach (var key in keys)
                    {
                        var (dtype, _) = reader.Seen[key];
                        long count = binary.ReadInt64();
                        using var probe = empty(0, dtype);
                        data[key] = binary.ReadBytes(checked((int)(count * probe.ElementSize)));
                    }
                stream.Position = objectStart;
                var builder = new TorchUnpickler(data.ToDictionary(kv => kv.Key, kv => (reader.Seen[kv.Key].DType, kv.Value)));
                var state = builder.load(stream) as IDictionary ?? throw new MnemoException($"{path} does not hold a state dict.");
                return state.Cast<DictionaryEntry>().Where(e => e.Value is Tensor).ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
            }
    }

    /// <summary>Resolves storage ids; with <paramref name="storages"/> null it only records them (the first pass).</summary>
    sealed class TorchUnpickler(Dictionary<string, (ScalarType DType, byte[] Bytes)>? storages) : Unpickler
    {
        public readonly Dictionary<string, (ScalarType DType, long Count)> Seen = new();

        protected override object persistentLoad(object pid)
        {
            // ('storage', storage type, key, location, element count, view metadata)
            var id = (object[])pid;
            var dtype = DTypeOf(((Razorvine.Pickle.Objects.ClassDictConstructor)id[1]).name);
            var key = id[2].ToString()!;
            Seen[key] = (dtype, Convert.ToInt64(id[4]));
            return storages is null ? key : new Storage(storages[key].DType, storages[key].Bytes);
        }

        public IDisposable Override()
        {
            var saved = new[] { RebuildTensor, RebuildParameter, OrderedDict }.ToDictionary(k => k, k => objectConstructors.TryGetValue(k, out var c) ? c : null);
            objectConstructors[RebuildTensor] = new TensorConstructor();
            objectConstructors[RebuildParameter] = new ParameterConstructor();
            objectConstructors[OrderedDict] = new StateDictConstructor();
            return new Restore(() =>
            {
                foreach (var (k, c) in saved)
                    if (c is null) objectConstructors.Remove(k); else objectConstructors[k] = c;
            });
        }
    }

    sealed record Storage(ScalarType DType, byte[] Bytes);

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks): a copy of the strided view.</summary>
    sealed class TensorConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args[0] is not Storage storage) return args[0]; // first pass: the storage key
            long offset = Convert.ToInt64(args[1]);
            var size = ((object[])args[2]).Select(Convert.ToInt64).ToArray();
            var stride = ((object[])args[3]).Select(Convert.ToInt64).ToArray();
            using var flat = empty(storage.Bytes.Length / Math.Max(1, ElementSize(storage.DType)), storage.DType);
            flat.bytes = storage.Bytes;
            using var view = flat.as_strided(size, stride, offset);
            return view.clone();
        }
    }

    /// <summary>A state dict is an OrderedDict; its pickled attributes (the modules' version <c>_metadata</c>) are not
    /// needed to load tensors.</summary>
    sealed class StateDictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new StateDict();
    }

    sealed class StateDict : Hashtable
    {
        public void __setstate__(Hashtable state) { }
    }

    /// <summary>_rebuild_parameter(data, requires_grad, hooks): the tensor itself.</summary>
    sealed class ParameterConstructor : IObjectConstructor
    {
        public object construct(object[] args) => args[0];
    }

    static int ElementSize(ScalarType dtype)
    {
        using var probe = empty(0, dtype);
        return (int)probe.ElementSize;
    }

    static ScalarType DTypeOf(string storage) => storage switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => throw new MnemoException($"storage type {storage} is not supported"),
    };
}
