@echo off
rem Sets everything up (first time only) and starts the program on Windows (Python 3.11 from python.org).
cd /d "%~dp0\.."
if not exist .venv\Scripts\python.exe py -3.11 -m venv .venv || goto :error
.venv\Scripts\python.exe -m pip install -q --disable-pip-version-check -r requirements.txt || goto :error
.venv\Scripts\python.exe main.py %*
goto :eof
:error
echo 安装失败：请确认已安装 Python 3.11（python.org），并能访问软件包源。
exit /b 1
