using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Hxi.Protocols.Quic.Ecn;

namespace Hxi.Net.Quic;

/// <summary>
/// Batched UDP on Linux: <c>recvmmsg</c> takes up to <see cref="Batch"/> datagrams per system call, each possibly a
/// train the kernel coalesced (UDP_GRO, Linux 5.0), split here by the segment size it reports; <c>sendmsg</c> with a
/// UDP_SEGMENT control message hands the kernel up to 64 equal datagrams at once (GSO, Linux 4.18).
/// </summary>
/// <remarks>
/// .NET's sockets expose neither recvmmsg nor the GRO and GSO control messages, hence the P/Invoke. Buffers are native
/// and allocated once per socket; nothing is allocated per datagram except a sender's <see cref="IPEndPoint"/> when it
/// differs from the previous one.
/// </remarks>
internal sealed unsafe partial class LinuxUdpSocketIo : UdpSocketIo
{
    private const int Batch = 8;
    private const int BufferLength = 65_536;
    private const int AddressLength = 128;
    private const int ControlLength = 64;

    private const int SolUdp = 17;
    private const int UdpSegment = 103;
    private const int UdpGro = 104;
    private const int MsgDontWait = 0x40;
    private const int MsgTruncated = 0x20;
    private const int AfInet = 2;
    private const int AfInet6 = 10;

    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int ENoBufs = 105;
    private const int EConnRefused = 111;
    private const int EIo = 5;
    private const int EInval = 22;
    private const int EHostUnreach = 113;
    private const int ENetUnreach = 101;

    private readonly int _fd;
    private readonly byte* _buffers;
    private readonly byte* _addresses;
    private readonly byte* _controls;
    private readonly IoVec* _iovecs;
    private readonly MMsgHdr* _messages;
    private readonly byte* _sendAddress;
    private readonly byte* _sendControl;
    private readonly byte[] _lastFrom = new byte[AddressLength];
    private int _lastFromLength;
    private IPEndPoint? _lastFromEndPoint;
    private IPEndPoint? _lastTo;
    private int _lastToLength;
    private bool _gso;

    private LinuxUdpSocketIo(Socket socket, IPEndPoint? connectedTo, bool gro, bool gso, bool ecn)
        : base(socket, connectedTo)
    {
        _fd = (int)socket.SafeHandle.DangerousGetHandle();
        ReceivesCoalesced = gro;
        ReadsEcn = ecn;
        _gso = gso;
        _buffers = (byte*)NativeMemory.Alloc((nuint)(Batch * BufferLength));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(Batch * AddressLength));
        _controls = (byte*)NativeMemory.AllocZeroed((nuint)(Batch * ControlLength));
        _iovecs = (IoVec*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(IoVec)));
        _messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Batch * sizeof(MMsgHdr)));
        _sendAddress = (byte*)NativeMemory.AllocZeroed(AddressLength);
        _sendControl = (byte*)NativeMemory.AllocZeroed(ControlLength);
    }

    public override int MaxSegments => _gso ? 64 : 1;

    public override bool ReceivesCoalesced { get; }

    public override bool ReadsEcn { get; }

    /// <summary>Batched I/O for <paramref name="socket"/>, with GRO and GSO where the kernel grants them; null if recvmmsg is missing.</summary>
    public static LinuxUdpSocketIo? TryCreate(Socket socket, IPEndPoint? connectedTo)
    {
        try
        {
            // A zero-length, non-blocking recvmmsg tells whether the call exists (ENOSYS) without taking anything.
            if (recvmmsg((int)socket.SafeHandle.DangerousGetHandle(), null, 0, MsgDontWait, null) < 0 && Marshal.GetLastPInvokeError() == 38)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        var gro = Environment.GetEnvironmentVariable("HXI_UDP_NO_GRO") is null && TrySetOption(socket, UdpGro, 1);
        // Setting then clearing a segment size probes GSO; the size itself goes with each send. HXI_UDP_NO_GSO turns it
        // off, to compare. (It was opt-in for a while over a "stall" in Http3ConnectionIdTests; that test's failure was
        // its plain-socket client's closing period, three PTOs, outlasting a 5 s limit on a loaded machine, with or
        // without GSO.)
        var gso = Environment.GetEnvironmentVariable("HXI_UDP_NO_GSO") is null && TrySetOption(socket, UdpSegment, 1200) && TrySetOption(socket, UdpSegment, 0);
        return new LinuxUdpSocketIo(socket, connectedTo, gro, gso, UdpEcn.TryEnableReceive(socket));
    }

    public override UdpReceiveResult Receive(DatagramSink sink)
    {
        for (var i = 0; i < Batch; i++)
        {
            _iovecs[i] = new IoVec { Base = _buffers + (i * BufferLength), Length = BufferLength };
            _messages[i] = new MMsgHdr
            {
                Header = new MsgHdr
                {
                    Name = ConnectedTo is null ? _addresses + (i * AddressLength) : null,
                    NameLength = ConnectedTo is null ? (uint)AddressLength : 0,
                    Iov = _iovecs + i,
                    IovLength = 1,
                    Control = ReceivesCoalesced || ReadsEcn ? _controls + (i * ControlLength) : null,
                    ControlLength = ReceivesCoalesced || ReadsEcn ? (nuint)ControlLength : 0,
                },
            };
        }

        int count;
        do
        {
            count = recvmmsg(_fd, _messages, Batch, MsgDontWait, null);
        }
        while (count < 0 && Marshal.GetLastPInvokeError() == EIntr);

        if (count < 0)
        {
            return Marshal.GetLastPInvokeError() switch
            {
                EAgain => UdpReceiveResult.Empty,
                EConnRefused => UdpReceiveResult.Refused,
                var errno => throw new SocketException(ToSocketError(errno)),
            };
        }

        for (var i = 0; i < count; i++)
        {
            ref var message = ref _messages[i];
            if ((message.Header.Flags & MsgTruncated) != 0)
            {
                continue;
            }

            var from = ConnectedTo ?? Sender(_addresses + (i * AddressLength), (int)message.Header.NameLength);
            if (from is null)
            {
                continue;
            }

            var data = new ReadOnlySpan<byte>(_buffers + (i * BufferLength), (int)message.Length);
            var segment = ReadControl(ref message.Header, out var ecn);
            if (segment <= 0 || segment >= data.Length)
            {
                sink(data, from, ecn);
                continue;
            }

            // A GRO train: equal segments, the last possibly shorter, one IP header's ECN bits (the kernel never merges others).
            for (var offset = 0; offset < data.Length; offset += segment)
            {
                sink(data.Slice(offset, Math.Min(segment, data.Length - offset)), from, ecn);
            }
        }

        return count > 0 ? UdpReceiveResult.Received : UdpReceiveResult.Empty;
    }

    public override UdpSendResult Send(ReadOnlySpan<byte> datagrams, int segmentSize, IPEndPoint? to)
    {
        var segmented = _gso && datagrams.Length > segmentSize;
        fixed (byte* data = datagrams)
        {
            var iov = new IoVec { Base = data, Length = (nuint)datagrams.Length };
            var header = new MsgHdr { Iov = &iov, IovLength = 1 };
            if (to is not null)
            {
                header.Name = _sendAddress;
                header.NameLength = (uint)WriteAddress(to);
            }

            if (segmented)
            {
                // struct cmsghdr { size_t len; int level; int type; } followed by the uint16 segment size.
                *(nuint*)_sendControl = (nuint)(sizeof(nuint) + 8 + sizeof(ushort));
                *(int*)(_sendControl + sizeof(nuint)) = SolUdp;
                *(int*)(_sendControl + sizeof(nuint) + 4) = UdpSegment;
                *(ushort*)(_sendControl + sizeof(nuint) + 8) = (ushort)segmentSize;
                header.Control = _sendControl;
                header.ControlLength = (nuint)(sizeof(nuint) + 8 + 8);
            }

            long sent;
            do
            {
                sent = sendmsg(_fd, &header, 0);
            }
            while (sent < 0 && Marshal.GetLastPInvokeError() == EIntr);

            if (sent >= 0)
            {
                return UdpSendResult.Sent;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (segmented && errno is EIo or EInval)
            {
                // The device cannot segment (no checksum offload): stop asking, and send this batch one by one.
                _gso = false;
                for (var offset = 0; offset < datagrams.Length; offset += segmentSize)
                {
                    var result = Send(datagrams.Slice(offset, Math.Min(segmentSize, datagrams.Length - offset)), segmentSize, to);
                    if (result != UdpSendResult.Sent)
                    {
                        return result;
                    }
                }

                return UdpSendResult.Sent;
            }

            return errno switch
            {
                EAgain => UdpSendResult.WouldBlock,
                EConnRefused => UdpSendResult.Refused,
                ENoBufs or EHostUnreach or ENetUnreach => UdpSendResult.Dropped,
                _ => throw new SocketException(ToSocketError(errno)),
            };
        }
    }

    public override void Dispose()
    {
        NativeMemory.Free(_buffers);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_controls);
        NativeMemory.Free(_iovecs);
        NativeMemory.Free(_messages);
        NativeMemory.Free(_sendAddress);
        NativeMemory.Free(_sendControl);
    }

    private static bool TrySetOption(Socket socket, int option, int value)
    {
        try
        {
            socket.SetRawSocketOption(SolUdp, option, BitConverter.GetBytes(value));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The control messages of one received datagram: the UDP_GRO segment size (0 when the datagram came alone) and the
    /// ECN bits (<see cref="UdpEcn"/>; Not-ECT when the kernel sent none).
    /// </summary>
    private static int ReadControl(ref MsgHdr header, out EcnCodepoint ecn)
    {
        ecn = EcnCodepoint.NotEct;
        var segment = 0;
        var position = (byte*)header.Control;
        var end = position + header.ControlLength;
        while (position + sizeof(nuint) + 8 <= end)
        {
            var length = *(nuint*)position;
            if (length < (nuint)(sizeof(nuint) + 8))
            {
                break;
            }

            var level = *(int*)(position + sizeof(nuint));
            var type = *(int*)(position + sizeof(nuint) + 4);
            if (level == SolUdp && type == UdpGro)
            {
                segment = *(int*)(position + sizeof(nuint) + 8);
            }
            else if (UdpEcn.TryReadCodepoint(position, level, type, out var codepoint))
            {
                ecn = codepoint;
            }

            position += (length + 7) & ~(nuint)7;
        }

        return segment;
    }

    /// <summary>The sender of a datagram; the previous one again when the address bytes are the same (a bulk transfer).</summary>
    private IPEndPoint? Sender(byte* address, int length)
    {
        var bytes = new ReadOnlySpan<byte>(address, Math.Min(length, AddressLength));
        if (_lastFromEndPoint is not null && bytes.SequenceEqual(_lastFrom.AsSpan(0, _lastFromLength)))
        {
            return _lastFromEndPoint;
        }

        var family = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        IPEndPoint? endPoint = family switch
        {
            AfInet when bytes.Length >= 8 => new IPEndPoint(new IPAddress(bytes.Slice(4, 4)), port),
            AfInet6 when bytes.Length >= 28 => new IPEndPoint(new IPAddress(bytes.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..])), port),
            _ => null,
        };
        if (endPoint is not null)
        {
            bytes.CopyTo(_lastFrom);
            _lastFromLength = bytes.Length;
            _lastFromEndPoint = endPoint;
        }

        return endPoint;
    }

    /// <summary>Writes <paramref name="to"/> as a sockaddr into the send address buffer (kept while the destination repeats).</summary>
    private int WriteAddress(IPEndPoint to)
    {
        if (ReferenceEquals(to, _lastTo))
        {
            return _lastToLength;
        }

        var span = new Span<byte>(_sendAddress, AddressLength);
        span.Clear();
        var address = to.Address;
        if (Socket.AddressFamily == AddressFamily.InterNetworkV6 && address.AddressFamily == AddressFamily.InterNetwork)
        {
            address = address.MapToIPv6();
        }

        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)to.Port);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, AfInet);
            address.TryWriteBytes(span.Slice(4, 4), out _);
            _lastToLength = 16;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, AfInet6);
            address.TryWriteBytes(span.Slice(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)address.ScopeId);
            _lastToLength = 28;
        }

        _lastTo = to;
        return _lastToLength;
    }

    private static int ToSocketError(int errno) => errno switch
    {
        EConnRefused => (int)SocketError.ConnectionRefused,
        _ => (int)SocketError.SocketError,
    };

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>Sleeps the calling thread for <paramref name="duration"/> (Thread.Sleep counts whole milliseconds).</summary>
    public static void Pause(TimeSpan duration) => _ = usleep((uint)Math.Max(1, duration.TotalMicroseconds));

    [LibraryImport("libc")]
    private static partial int usleep(uint microseconds);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendmsg(int fd, MsgHdr* message, int flags);
}
