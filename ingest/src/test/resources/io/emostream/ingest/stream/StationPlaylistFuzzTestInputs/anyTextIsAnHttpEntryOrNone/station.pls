[playlist]
NumberOfEntries=2
Title1=Main
File1=https://ice1.example.org/live.mp3
File2=https://ice2.example.org/live.mp3
