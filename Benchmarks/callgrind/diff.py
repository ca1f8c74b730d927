import subprocess,re,sys
def load(f):
    out=subprocess.run(['callgrind_annotate','--threshold=100',f],capture_output=True,text=True).stdout
    d={}
    for line in out.split('\n'):
        m=re.match(r'\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$',line)
        if m and 'PROGRAM TOTALS' not in line:
            d[m.group(2)]=d.get(m.group(2),0)+int(m.group(1).replace(',',''))
    return d
a=load(sys.argv[1]); b=load(sys.argv[2]); n=int(sys.argv[3])
diff={k:a.get(k,0)-b.get(k,0) for k in set(a)|set(b)}
tot=sum(diff.values())
print(f"per event: {tot/n:,.0f} instructions")
for k,v in sorted(diff.items(),key=lambda x:-x[1])[:int(sys.argv[4]) if len(sys.argv)>4 else 50]:
    name=k.split(':',1)[-1][:150]
    print(f"{v/n:10,.0f} {100*v/tot:5.1f}%  {name}")
