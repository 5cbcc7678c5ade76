/*
 * Marks one version requirement (a Vernaux entry in .gnu.version_r) of a 64-bit little-endian ELF shared object as
 * weak (VER_FLG_WEAK), in place. glibc's loader then only warns (with LD_DEBUG) instead of refusing to load the
 * object when the library does not define that version (glibc elf/dl-version.c, match_symbol: "If it was a weak
 * reference it is not fatal"). Layout per the ELF gABI / LSB "Symbol Versioning" (Elf64_Verneed, Elf64_Vernaux).
 *
 * Usage: elf_weaken_version_need FILE LIBRARY VERSION     e.g. libLibTorchSharp.so libstdc++.so.6 GLIBCXX_3.4.32
 * Exit 0 when the entry is now weak (also when it already was), 2 when FILE has no such requirement, 1 on errors.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *read_all(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); return NULL; }
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)*size);
    if (!data || fread(data, 1, (size_t)*size, f) != (size_t)*size) { fprintf(stderr, "%s: read failed\n", path); fclose(f); free(data); return NULL; }
    fclose(f);
    return data;
}

/* Every offset read from the file is checked against its size before use: the input is a downloaded binary. */
static int in_bounds(long size, unsigned long offset, unsigned long length)
{
    return offset <= (unsigned long)size && length <= (unsigned long)size - offset;
}

int main(int argc, char **argv)
{
    if (argc != 4) { fprintf(stderr, "usage: %s FILE LIBRARY VERSION\n", argv[0]); return 1; }
    const char *path = argv[1], *library = argv[2], *version = argv[3];
    long size;
    unsigned char *data = read_all(path, &size);
    if (!data) return 1;
    Elf64_Ehdr *eh = (Elf64_Ehdr *)data;
    if (size < (long)sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64
        || eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_shentsize != sizeof(Elf64_Shdr)
        || !in_bounds(size, eh->e_shoff, (unsigned long)eh->e_shnum * sizeof(Elf64_Shdr)))
    { fprintf(stderr, "%s: not a 64-bit little-endian ELF file with section headers\n", path); return 1; }
    Elf64_Shdr *sh = (Elf64_Shdr *)(data + eh->e_shoff);

    int found = 0, changed = 0;
    for (int s = 0; s < eh->e_shnum; s++)
    {
        if (sh[s].sh_type != SHT_GNU_verneed) continue;
        if (sh[s].sh_link >= eh->e_shnum || !in_bounds(size, sh[s].sh_offset, sh[s].sh_size)) { fprintf(stderr, "%s: bad .gnu.version_r\n", path); return 1; }
        Elf64_Shdr *strtab = &sh[sh[s].sh_link];
        if (!in_bounds(size, strtab->sh_offset, strtab->sh_size)) { fprintf(stderr, "%s: bad string table\n", path); return 1; }
        const char *strings = (const char *)data + strtab->sh_offset;
        unsigned long need_offset = sh[s].sh_offset;
        for (;;)
        {
            if (!in_bounds(size, need_offset, sizeof(Elf64_Verneed))) { fprintf(stderr, "%s: truncated Verneed\n", path); return 1; }
            Elf64_Verneed *need = (Elf64_Verneed *)(data + need_offset);
            const char *file = need->vn_file < strtab->sh_size ? strings + need->vn_file : "";
            unsigned long aux_offset = need_offset + need->vn_aux;
            for (int a = 0; a < need->vn_cnt; a++)
            {
                if (!in_bounds(size, aux_offset, sizeof(Elf64_Vernaux))) { fprintf(stderr, "%s: truncated Vernaux\n", path); return 1; }
                Elf64_Vernaux *aux = (Elf64_Vernaux *)(data + aux_offset);
                const char *name = aux->vna_name < strtab->sh_size ? strings + aux->vna_name : "";
                if (strcmp(file, library) == 0 && strcmp(name, version) == 0)
                {
                    found = 1;
                    if (!(aux->vna_flags & VER_FLG_WEAK)) { aux->vna_flags |= VER_FLG_WEAK; changed = 1; }
                }
                if (aux->vna_next == 0) break;
                aux_offset += aux->vna_next;
            }
            if (need->vn_next == 0) break;
            need_offset += need->vn_next;
        }
    }
    if (!found) { fprintf(stderr, "%s: no requirement of %s on %s\n", path, version, library); free(data); return 2; }
    if (changed)
    {
        FILE *f = fopen(path, "r+b");
        if (!f || fwrite(data, 1, (size_t)size, f) != (size_t)size || fclose(f) != 0) { perror(path); free(data); return 1; }
    }
    printf("%s: %s requirement on %s is weak%s\n", path, version, library, changed ? "" : " (already)");
    free(data);
    return 0;
}
