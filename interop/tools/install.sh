#!/usr/bin/env bash
# Installs the pinned versions of the real S3 tools the sessions drive and
# of moto's S3 emulator, then checks that each reports its pinned version.
#
#   interop/tools/install.sh [DIR]
#
# The AWS CLI (v1, from PyPI) and moto each go into a virtual environment of
# their own under DIR (default: target/interop-tools), installed from
# requirements-awscli.txt and requirements-moto.txt (every package pinned),
# so nothing global changes and their dependencies never meet. s3cmd and
# rclone come from Debian's packages at the exact versions below; where
# Debian offers other versions, this fails and says which.
set -euo pipefail

AWSCLI_VERSION=1.46.3
MOTO_VERSION=5.1.22
S3CMD_DEB=2.3.0-1
RCLONE_DEB=1.60.1+dfsg-2+b5
# What s3cmd and rclone print of their own versions.
S3CMD_VERSION=2.3.0
RCLONE_VERSION=v1.60.1-DEV

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../target/interop-tools}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

# ---- Debian: s3cmd and rclone at their pinned versions.
deb_version() { # package -> installed version, or nothing
  dpkg-query -W -f '${Status} ${Version}\n' "$1" 2>/dev/null | sed -n 's/^install ok installed //p'
}
t0=$SECONDS
if [[ $(deb_version s3cmd) != "$S3CMD_DEB" || $(deb_version rclone) != "$RCLONE_DEB" ]]; then
  apt-get update -q
  for p in "s3cmd=$S3CMD_DEB" "rclone=$RCLONE_DEB"; do
    apt-cache madison "${p%%=*}" | grep -q " ${p#*=} " ||
      fail "Debian offers no ${p%%=*} ${p#*=} here; it offers: $(apt-cache madison "${p%%=*}" | awk '{print $3}' | paste -sd ' ')"
  done
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "s3cmd=$S3CMD_DEB" "rclone=$RCLONE_DEB"
fi
echo "install.sh: Debian packages: $((SECONDS - t0)) s"

# ---- PyPI: the AWS CLI and moto, one virtual environment each.
venv() { # name requirements
  local venv=$dir/$1 t0=$SECONDS
  [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
  # Already satisfied pins cost a second; a changed pin is installed.
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/$2"
  echo "install.sh: $1: $((SECONDS - t0)) s"
}
venv awscli requirements-awscli.txt
venv moto requirements-moto.txt

# ---- Each tool reports its pinned version, or the install failed.
check() { # what expected actual
  [[ $3 == *"$2"* ]] || fail "$1: expected version $2, found: $3"
  echo "$1: $3"
}
check aws "aws-cli/$AWSCLI_VERSION " "$("$dir/awscli/bin/aws" --version 2>&1)"
check moto "$MOTO_VERSION" "moto $("$dir/moto/bin/python" -c 'import moto; print(moto.__version__)')"
check s3cmd "s3cmd version $S3CMD_VERSION" "$(s3cmd --version 2>&1)"
check rclone "rclone $RCLONE_VERSION" "$(rclone version 2>&1 | head -1)"
check curl "curl " "$(curl --version | head -1)"
