[Playlist]
file1=/mounts/live.mp3
Length1=-1
Version=2
