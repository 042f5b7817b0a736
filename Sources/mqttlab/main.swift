import MQTTLabCLI

MQTTLab.runAndExit()
