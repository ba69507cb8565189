Attribute VB_Name = "CSQRibbon"
Option Explicit
' CSQ ribbon callbacks: each button passes its id to Python, where
' addin.excel.ribbon.on_button(id) does the work and shows any error as one message.
' Built into dist/csq.xlam by build/build_addin.py; do not edit inside Excel.

Sub OnButton(control As IRibbonControl)
    ' xlwings' RunPython reads ActiveWorkbook.FullName before Python starts: with no
    ' workbook open that is error 91, so say what to do instead (text: ribbon_text.py).
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open a workbook first (or create one: File > New > Blank workbook), then press the button again." & vbCrLf & vbCrLf & _
            ChrW(35831) & ChrW(20808) & ChrW(25171) & ChrW(24320) & ChrW(25110) & ChrW(26032) & ChrW(24314) & ChrW(19968) & ChrW(20010) & ChrW(24037) & ChrW(20316) & ChrW(31807) & ChrW(65288) & ChrW(25991) & ChrW(20214) & " > " & ChrW(26032) & ChrW(24314) & " > " & ChrW(31354) & ChrW(30333) & ChrW(24037) & ChrW(20316) & ChrW(31807) & ChrW(65289) & ChrW(65292) & ChrW(20877) & ChrW(28857) & ChrW(20987) & ChrW(27492) & ChrW(25353) & ChrW(38062) & ChrW(12290), _
            vbInformation, "CSQ"
        Exit Sub
    End If
    RunPython "import addin.excel.ribbon; addin.excel.ribbon.on_button('" & control.ID & "')"
End Sub

Sub RebindOnOpen(ByVal Wb As Workbook)
    ' Called by the add-in's WorkbookOpen handler (ThisWorkbook). A CSQ workbook written
    ' by csq (document property CSQ = "udf") holds bare CSQ_ names; re-enter its formulas
    ' once so that they bind to this add-in: addin.excel.ribbon.on_open does that.
    Dim marker As String
    If Wb Is ThisWorkbook Then Exit Sub
    On Error Resume Next
    marker = CStr(Wb.CustomDocumentProperties("CSQ").Value)
    On Error GoTo 0
    If marker <> "udf" Then Exit Sub
    RunPython "import addin.excel.ribbon; addin.excel.ribbon.on_open('" & _
        Replace(Wb.Name, "'", "\'") & "')"
End Sub
