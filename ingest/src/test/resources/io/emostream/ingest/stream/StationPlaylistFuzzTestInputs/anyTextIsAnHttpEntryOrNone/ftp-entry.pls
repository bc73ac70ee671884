[playlist]
File1=ftp://old.example.org/live.mp3
