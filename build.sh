#!/usr/bin/env bash
# Entry point for every build target: restores the pinned Cake tool, then runs build.cake.
#   ./build.sh --target=Demo     run the demo
#   ./build.sh --target=Test     run the tests (the default)
# Needs the .NET 10 SDK; everything else (cmake, g++, clang, libzmq's source) is installed or
# fetched by the targets that need it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "build.sh: the .NET SDK is not installed. Install the .NET 10 SDK (https://dot.net, or your distribution's dotnet-sdk-10.0 package) and run this again." >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
