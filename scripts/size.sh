#!/usr/bin/env bash
# Flash and RAM that s3err costs in firmware: section sizes of the `probe`
# firmware (from_name + status + description on a black-boxed name) minus
# those of the `baseline` firmware (the same program without s3err), both
# built from firmware/ with fat LTO, codegen-units 1, panic abort.
#
# Targets: thumbv6m-none-eabi (Cortex-M0) and thumbv7em-none-eabihf (M4F).
# Profiles: release (opt-level s) and release-z (opt-level z).
# Feature sets (s3err's, mirrored by the firmware crate): default;
# s3,iam,zenko (no descriptions); s3 alone; default + defmt (the probe logs
# the code with `{}`, the baseline a u8; defmt's interned strings live in
# the non-loaded .defmt section and cost no flash).
#
# For default and s3,iam,zenko three more rows give the same program with
# the name looked up another way instead of s3err's perfect hash (what an
# s3err built that way would cost; the code tables stay s3err's):
#   probe_match      a `match` on the bytes (`b"NoSuchKey" => …`, as s3s's
#                    generated `S3ErrorCode::from_bytes` writes it): THE
#                    `match` baseline;
#   probe_match_str  a `match` on the `&str`;
#   probe_phf        a plain `phf::Map<&str, u8>` (phf_map!).
#
# Usage: scripts/size.sh        (prints a markdown table on stdout)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/firmware" # .cargo/config.toml is found from the current directory

size_tool=$(ls "$(rustc --print sysroot)"/lib/rustlib/*/bin/llvm-size 2>/dev/null | head -1)
[[ -x $size_tool ]] || { echo "size: llvm-size not found; rustup component add llvm-tools" >&2; exit 1; }

sets=("default|" "s3,iam,zenko|--no-default-features --features s3,iam,zenko"
  "s3|--no-default-features --features s3" "default + defmt|--features defmt")

# sections ELF -> "text rodata data bss"
sections() {
  "$size_tool" -A "$1" | awk '
    $1 == ".text" { t = $2 } $1 == ".rodata" { r = $2 }
    $1 == ".data" { d = $2 } $1 == ".bss" { b = $2 }
    END { print t + 0, r + 0, d + 0, b + 0 }'
}

echo "| target | opt-level | s3err features | .text | .rodata | .data | .bss | flash (.text+.rodata+.data) |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for target in thumbv6m-none-eabi thumbv7em-none-eabihf; do
  for profile in release release-z; do
    opt=s
    [[ $profile == release-z ]] && opt=z
    for set in "${sets[@]}"; do
      label=${set%%|*}
      flags=${set#*|}
      echo "size: $target $profile $label" >&2
      # shellcheck disable=SC2086 # $flags is a list of arguments
      cargo build --quiet --profile "$profile" --target "$target" $flags --bin baseline --bin probe
      dir="target/$target/$profile"
      read -r bt br bd bb <<<"$(sections "$dir/baseline")"
      read -r pt pr pd pb <<<"$(sections "$dir/probe")"
      printf '| %s | %s | %s | %+d | %+d | %+d | %+d | **%+d** |\n' "$target" "$opt" "$label" \
        $((pt - bt)) $((pr - br)) $((pd - bd)) $((pb - bb)) $(((pt + pr + pd) - (bt + br + bd)))
      # The other lookups: same tables, name looked up another way (to the
      # stable id, then `ErrorCode::from_id`). Every group must be on: they
      # hold every name.
      if [[ $label == default || $label == s3,iam,zenko ]]; then
        # shellcheck disable=SC2086
        cargo build --quiet --profile "$profile" --target "$target" $flags \
          --bin probe_match --bin probe_match_str --bin probe_phf
        for alt in "probe_match|**\`match\` on bytes** instead of s3err's hash" \
          "probe_match_str|\`match\` on \`&str\` instead" "probe_phf|plain \`phf::Map\` instead"; do
          read -r mt mr md mb <<<"$(sections "$dir/${alt%%|*}")"
          printf '| %s | %s | %s, %s | %+d | %+d | %+d | %+d | **%+d** |\n' "$target" "$opt" "$label" "${alt#*|}" \
            $((mt - bt)) $((mr - br)) $((md - bd)) $((mb - bb)) $(((mt + mr + md) - (bt + br + bd)))
        done
      fi
    done
  done
done
