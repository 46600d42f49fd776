#!/usr/bin/env bash
# Installs hxi from this checkout: the Native AOT binary (built by ./hxi when needed) into PREFIX/bin, and the
# bash, zsh and fish completion scripts that binary prints (`hxi completion SHELL`).
#
#   ./install.sh                     into ~/.local (bin/hxi, completions under ~/.local/share and ~/.config/fish)
#   ./install.sh --prefix /usr/local into /usr/local/bin, /usr/local/share/...
#   ./install.sh --uninstall [--prefix DIR]   removes what the same command installed
set -euo pipefail

repo="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
prefix="$HOME/.local"
uninstall=0
while (($#)); do
    case "$1" in
        --prefix) [[ $# -ge 2 ]] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (see ./install.sh --help)" >&2; exit 2 ;;
    esac
done
prefix="$(readlink -m "$prefix")"

bin="$prefix/bin/hxi"
bash_completion="$prefix/share/bash-completion/completions/hxi"
zsh_completion="$prefix/share/zsh/site-functions/_hxi"
# fish reads ~/.config/fish/completions for the user; other prefixes use fish's vendor directory.
if [[ "$prefix" == "$HOME/.local" ]]; then
    fish_completion="${XDG_CONFIG_HOME:-$HOME/.config}/fish/completions/hxi.fish"
else
    fish_completion="$prefix/share/fish/vendor_completions.d/hxi.fish"
fi
installed=("$bin" "$bash_completion" "$zsh_completion" "$fish_completion")

if ((uninstall)); then
    removed=0
    for file in "${installed[@]}"; do
        if [[ -e "$file" ]]; then
            rm -f "$file"
            echo "removed $file"
            removed=1
        fi
    done
    ((removed)) || echo "hxi is not installed under $prefix"
    exit 0
fi

# ./hxi publishes the native binary when it is missing or older than the sources; --version is a cheap way to ask.
"$repo/hxi" --version >/dev/null
if [[ "$(cat "$repo/artifacts/hxi/.built")" != aot ]]; then
    echo "install.sh: the Native AOT binary could not be built (see the note above); install clang and run ./install.sh again" >&2
    exit 1
fi

mkdir -p "${installed[@]%/*}"
install -m 755 "$repo/artifacts/hxi/hxi" "$bin"
"$bin" completion bash > "$bash_completion"
"$bin" completion zsh > "$zsh_completion"
"$bin" completion fish > "$fish_completion"
echo "installed $("$bin" --version) as $bin"
printf 'completions: %s\n' "$bash_completion" "$zsh_completion" "$fish_completion"

case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "note: $prefix/bin is not on PATH; add it, e.g. echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
esac
# bash-completion looks in ~/.local/share and /usr/local/share, zsh's default $fpath only under /usr and /usr/local.
case "$prefix" in
    "$HOME/.local" | /usr/local | /usr) ;;
    *) echo "note: for bash, add 'source $bash_completion' to ~/.bashrc" ;;
esac
case "$prefix" in
    /usr/local | /usr) ;;
    *) echo "note: for zsh, add 'fpath=($prefix/share/zsh/site-functions \$fpath)' to ~/.zshrc before compinit" ;;
esac
if [[ "$prefix" == "$HOME/.local" ]]; then
    echo "uninstall: $repo/install.sh --uninstall"
else
    echo "uninstall: $repo/install.sh --uninstall --prefix $prefix"
fi
