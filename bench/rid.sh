# Sourced by the bench scripts. this_rid prints this machine's .NET runtime id (linux-x64,
# linux-arm64, osx-x64, osx-arm64), or nothing on a machine none of them describes.
this_rid() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64 ;;
    Linux-aarch64) echo linux-arm64 ;;
    Darwin-x86_64) echo osx-x64 ;;
    Darwin-arm64) echo osx-arm64 ;;
  esac
}
