#include "TestSupport.h"

#include "lx/Error.h"
#include "lx/ErrorMessage.h"

#include <new>

using namespace std::string_literals;

// lx::Error keeps one printable line of any message: what the GUI and CLI show a user.
class TestError : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void firstLineTrimsAndSkipsBlankLines()
    {
        QCOMPARE(lx::firstLine("  \n\t first one \t\nsecond"), "first one"s);
        QCOMPARE(lx::firstLine(""), "unknown error"s);
        QCOMPARE(lx::firstLine(" \n \r\n"), "unknown error"s);
    }
    void firstLinePrefersTheTorchScriptRuntimeError()
    {
        const std::string torch =
            "The following operation failed in the TorchScript interpreter.\n"
            "Traceback of TorchScript (most recent call last):\n  File \"code.py\", line 3\n"
            "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3 and 4x2)\n";
        QCOMPARE(lx::firstLine(torch), "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x2)"s);
    }
    void firstLineNeverReturnsControlBytes()
    {
        // Regression (fuzz_npy): text after "\nRuntimeError: " made only of NULs used to be returned as
        // the message, which printed as nothing.
        QCOMPARE(lx::firstLine("x.npy: bad <\0\nRuntimeError: \0\0\0"s), "x.npy: bad <"s);
        QCOMPARE(lx::firstLine("\0\0\n\x01\x02"s), "unknown error"s);
        QCOMPARE(lx::firstLine("a\0b\x7f"
                               "c"s),
                 "abc"s);
        QCOMPARE(lx::firstLine("tab\there"), "tab here"s);
    }
    void printableEscapesAndCuts()
    {
        QCOMPARE(lx::printable("<f4"), "<f4"s);
        QCOMPARE(lx::printable("<\0\n\xff"s), "<\\x00\\x0a\\xff"s);
        QCOMPARE(lx::printable(std::string(50, 'a'), 10), std::string(10, 'a') + "...");
        QCOMPARE(lx::printable(""), ""s);
    }
    void errorMessagesAreOneLine()
    {
        QCOMPARE(std::string(lx::Error("card.json: bad key\nmore detail").what()), "card.json: bad key"s);
        QCOMPARE(lx::errorMessage(std::bad_alloc()).rfind("out of memory", 0), size_t(0));
        QCOMPARE(lx::errorMessage(std::runtime_error("\nRuntimeError: boom\n")), "boom"s);
    }
    void outOfMemoryInWords()
    {
        // LibTorch 1.13's CPU allocator, as the TorchScript interpreter reports it (test_Model gets it for real).
        const std::runtime_error cpu(
            "The following operation failed in the TorchScript interpreter.\nTraceback of TorchScript ...\n"
            "RuntimeError: [enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: "
            "you tried to allocate 9007199254740992 bytes. Error code 12 (Cannot allocate memory)\n");
        QVERIFY(lx::isOutOfMemory(cpu));
        QCOMPARE(lx::errorMessage(cpu),
                 "out of memory (the computation asked for 8.0 PiB, more than is free; try fewer "
                 "samples or a smaller batch)"s);
        // The older wording, quoted inside an lx::Error that a core wrapper made of it.
        const lx::Error wrapped(
            "m.pt: foreground fails on u [2, 4] (DefaultCPUAllocator: not enough memory: you tried "
            "to allocate 1536 bytes.)");
        QVERIFY(lx::isOutOfMemory(wrapped));
        QCOMPARE(lx::errorMessage(wrapped),
                 "out of memory (the computation asked for 1.5 KiB, more than is free; try "
                 "fewer samples or a smaller batch)"s);
        QVERIFY(lx::isOutOfMemory(std::bad_alloc()));
        // The CUDA caching allocator (c10::OutOfMemoryError's what()): said with the way out (the CPU).
        const std::runtime_error gpu(
            "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.35 GiB total capacity; "
            "78.10 GiB already allocated; 1.02 GiB free; 78.50 GiB reserved in total by "
            "PyTorch)\nException raised from malloc at CUDACachingAllocator.cpp:913");
        QVERIFY(lx::isOutOfMemory(gpu));
        QCOMPARE(lx::errorMessage(gpu),
                 "out of GPU memory (CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.35 "
                 "GiB total capacity; 78.10 GiB already allocated; 1.02 GiB free; 78.50 GiB "
                 "reserved in total by PyTorch); try fewer samples or a smaller batch, or open "
                 "the model on the CPU with --device cpu)"s);
        // Any other CUDA failure: its own words first, then what to do; not an out-of-memory.
        const std::runtime_error assertFailed(
            "m.pt: generate: CUDA error: device-side assert triggered\nCUDA kernel "
            "errors might be asynchronously reported");
        QVERIFY(!lx::isOutOfMemory(assertFailed));
        QCOMPARE(lx::errorMessage(assertFailed),
                 "CUDA error: device-side assert triggered (the GPU failed; open the "
                 "model again, or on the CPU with --device cpu)"s);
        QVERIFY(!lx::isOutOfMemory(std::runtime_error("DefaultCPUAllocator: fine")));
    }
};

QTEST_APPLESS_MAIN(TestError)
#include "test_Error.moc"
