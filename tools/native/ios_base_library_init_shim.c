/*
 * Stand-in for std::ios_base_library_init(), the one libstdc++ symbol behind GLIBCXX_3.4.32 that TorchSharp's
 * libLibTorchSharp.so references (it was built with GCC 13, whose <iostream> emits a reference to this function
 * instead of a static std::ios_base::Init object; see GCC commit "libstdc++: Avoid static initialization of
 * iostreams ...", gcc.gnu.org/PR108969). In libstdc++ the function body is empty too: it exists only to create a
 * versioned dependency on a libstdc++ whose iostreams are initialised by the library itself. On an older
 * libstdc++ (GLIBCXX_3.4.30, Debian 12 / Ubuntu 22.04) iostreams are still initialised by the static Init objects
 * of every translation unit that includes <iostream>, libtorch's included, so a no-op is a faithful stand-in.
 *
 * Built by tools/native/torchsharp-native-fix.sh and loaded through a DT_NEEDED entry that script adds.
 * Written in C so the shim itself does not depend on any libstdc++ version; the name is the Itanium-mangled
 * std::ios_base_library_init().
 */
__attribute__((visibility("default"))) void _ZSt21ios_base_library_initv(void) {}
