"""pybox: BusyBox-compatible applets in one multicall program."""
