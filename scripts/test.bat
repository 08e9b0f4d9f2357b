@echo off
rem Sets everything up (first time only) and runs every test on Windows.
cd /d "%~dp0\.."
if not exist .venv\Scripts\python.exe py -3.11 -m venv .venv || goto :error
.venv\Scripts\python.exe -m pip install -q --disable-pip-version-check -r requirements-dev.txt || goto :error
set QT_QPA_PLATFORM=offscreen
.venv\Scripts\ruff.exe check --quiet . || goto :failed
.venv\Scripts\mypy.exe || goto :failed
rem the fast tests first, then the slow ones (packaging, the benchmark); exit code 5 = the phase selected nothing
.venv\Scripts\python.exe -m pytest -q -m "not slow" %*
if errorlevel 6 goto :failed
if errorlevel 1 if not errorlevel 5 goto :failed
.venv\Scripts\python.exe -m pytest -q -m slow %*
if errorlevel 6 goto :failed
if errorlevel 1 if not errorlevel 5 goto :failed
goto :eof
:failed
exit /b 1
:error
echo 安装失败：请确认已安装 Python 3.11（python.org），并能访问软件包源。
exit /b 1
